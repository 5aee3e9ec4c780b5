import type { Request } from 'express';

/** The address the limits count against: the gateway's X-Forwarded-For, believed per TRUST_PROXY. */
export const clientAddress = (req: Request): string => req.ip ?? 'unknown';
