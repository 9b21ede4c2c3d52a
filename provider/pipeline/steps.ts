import type { CheckedInputs } from "../connection/inputs";
import type { Inputs, PipelineKind } from "../resources/declaration";
import { createEntity, readEntity, removeEntity, updateEntity } from "./flow-entity";
import { createMappingSet, readMappingSet, removeMappingSet, updateMappingSet } from "./mapping-set";

/** The create, read, update and delete of a pipeline kind: Data Prep's mapping sets, or Flow Service's entities. */
export function pipelineSteps(kind: PipelineKind) {
  const mapping = kind.kind === "mappingSet";
  return {
    create: (inputs: CheckedInputs) => (mapping ? createMappingSet(kind, inputs) : createEntity(kind, inputs)),
    read: (id: string, props: Inputs | undefined) => (mapping ? readMappingSet(kind, id, props) : readEntity(kind, id, props)),
    update: (id: string, olds: Inputs, news: CheckedInputs) => (mapping ? updateMappingSet(kind, id, olds, news) : updateEntity(kind, id, olds, news)),
    remove: (id: string, props: Inputs) => (mapping ? removeMappingSet(kind, id, props) : removeEntity(kind, id, props)),
  };
}
