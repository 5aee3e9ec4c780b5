import { openApiPath } from '../server/openapi.js';

export interface DocumentedParameter {
  name: string;
  in: string;
  required: boolean;
}

interface ServedDocument {
  paths?: Record<string, Record<string, { parameters?: DocumentedParameter[] } | undefined> | undefined>;
}

/**
 * The parameters a served OpenAPI document gives a route (`'post', '/api/cart/merge'`, Express or
 * OpenAPI form), as an app generated from it would send them: name, where, and whether required.
 */
export function documentedParameters(document: unknown, method: string, path: string): DocumentedParameter[] {
  const operation = (document as ServedDocument).paths?.[openApiPath(path)]?.[method.toLowerCase()];
  if (!operation) throw new Error(`the document has no ${method.toUpperCase()} ${path}`);
  return (operation.parameters ?? []).map(({ name, in: where, required }) => ({ name, in: where, required }));
}
