const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a key that may be an id or a slug is an id: anything PostgreSQL's uuid type would read. Slugs
 * are never shaped like this, so a key is always one or the other.
 */
export function isUuid(key: string): boolean {
  return UUID.test(key);
}
