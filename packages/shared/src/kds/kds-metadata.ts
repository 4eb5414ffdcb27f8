/**
 * gRPC metadata a zone sends when it opens a KDS stream. `authorization: Bearer <zone token>`
 * is what the global authenticates; the others are informational (ZoneInsight).
 */

/** The zone CP instance that opened the stream (e.g. `host:pid`). */
export const KDS_INSTANCE_HEADER = 'strait-kds-instance';
/** The zone CP's software version. */
export const KDS_VERSION_HEADER = 'strait-kds-version';
/** Standard gRPC header carrying `Bearer <zone token>`. */
export const KDS_AUTHORIZATION_HEADER = 'authorization';
