/**
 * A body already written as JSON (a listing page PostgreSQL wrote), answered as it is: parsing it into
 * objects only to print them again cost the listing more CPU and garbage than the rest of its request.
 * `T` is the shape the text holds.
 */
export class JsonText<T> {
  declare readonly shape: T;
  constructor(readonly text: string) {}
}

/** `fields` as JSON with `name` added last, its value the JSON text `json`. */
export function jsonWithField<T>(fields: object, name: string, json: string): JsonText<T> {
  const written = JSON.stringify(fields);
  const separator = written === '{}' ? '' : ',';
  return new JsonText(`${written.slice(0, -1)}${separator}${JSON.stringify(name)}:${json}}`);
}
