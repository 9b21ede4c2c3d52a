/** Flow Service wire types (the subset this provider reads and writes). */
export interface ConnectionSpecRef {
  id: string;
  version: string;
}

export interface ConnectionAuth {
  specName: string;
  params: Record<string, unknown>;
}

export interface ConnectionItem {
  id: string;
  name: string;
  description?: string;
  connectionSpec: ConnectionSpecRef;
  providerId?: string;
  state?: string;
  auth?: ConnectionAuth;
  /** The params of source and target connections (base connections hold theirs in `auth`). */
  params?: Record<string, unknown>;
  etag: string;
  sandboxName?: string;
  createdAt?: number;
  updatedAt?: number;
  /** The API key (client id) of the credential that created it. */
  createdBy?: string;
  /** The technical account of that credential. */
  createdClient?: string;
}

export interface CreateConnectionBody {
  name: string;
  description?: string;
  providerId?: string;
  connectionSpec: ConnectionSpecRef;
  auth?: ConnectionAuth;
  params?: Record<string, unknown>;
}

export interface IdAndEtag {
  id: string;
  etag: string;
}

export type PatchOperation =
  | { op: "add" | "replace"; path: string; value: unknown }
  | { op: "remove"; path: string };

/** A mapping set as Data Prep renders it (the subset the provider reads). */
export interface MappingSetItem {
  id: string;
  name?: string;
  description?: string;
  version: number;
  outputSchema: { schemaRef: { id: string; contentType?: string } };
  mappings: Array<Record<string, unknown>>;
  createdBy?: string;
  createdDate?: number;
  modifiedDate?: number;
}
