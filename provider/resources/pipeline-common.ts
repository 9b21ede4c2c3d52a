import { nonEmptyString, optionalString } from "../validators";
import { type ArgsOf, optional } from "./declaration";
import { MAX_DESCRIPTION, MAX_NAME, commonProperties, existingIdProperty } from "./common";

/** The properties every pipeline kind has besides its own; `check` words their failures itself. */
export const pipelineCommonProperties = {
  /** Name in Flow Service. Default: `<resource name>-<7 characters derived from the resource's URN>`, generated once; an adopted entity (`existingId`) keeps its own. Updated in place. */
  name: optional<string>("string", { validate: nonEmptyString(MAX_NAME) }),
  /** Free-text description. Updated in place. An adopted entity (`existingId`) keeps its own unless this is set. */
  description: optional<string>("string", { validate: optionalString(MAX_DESCRIPTION) }),
  /** Sandbox the entity lives in (the same as the entities it uses). Default: config `aep:sandbox`, env `AEP_SANDBOX`, else `prod`. Changing it replaces the entity. */
  sandbox: commonProperties.sandbox,
  /**
   * Adopt this existing entity instead of creating one (made in the AEP UI, by a script, or written by
   * `aep-flow export`): on create it is read, checked to be of this kind and to fit the declaration (a
   * value that cannot change in place must be the same), and made what is declared; the name and
   * description the program leaves undeclared stay its own. Then it is managed like any other (use the
   * `retainOnDelete` resource option to keep it on destroy). Ignored after creation.
   */
  existingId: existingIdProperty("entity"),
};

/** Arguments every pipeline resource accepts. */
export interface PipelineCommonArgs extends ArgsOf<typeof pipelineCommonProperties> {}

/** Ids as Flow Service hands them out (UUIDs; Data Prep's 32 hex characters). */
const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;

/** The id of another resource, checked when it is known (at preview it usually is not). */
export function entityId(of: string, example: string): (v: unknown) => string | undefined {
  return (v) => (typeof v === "string" && ENTITY_ID.test(v) ? undefined : `must be the id of ${of} (e.g. \`${example}\`), got ${typeof v === "string" ? JSON.stringify(v.slice(0, 64)) : typeof v}`);
}
