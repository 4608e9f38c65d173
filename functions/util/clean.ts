/** The value without undefined properties, as stored and as sent (a JSON round trip). */
export const clean = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
