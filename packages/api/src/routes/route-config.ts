/**
 * Per-route metadata the API's hooks read, set once when routes are registered
 * (`config: { strait: {...} }`), so no hook has to work out per request what a route is.
 */

/** What the auth hook and error handler need to know about a route. */
export interface StraitRouteConfig {
  /** Served without authentication (the index and the OpenAPI document). */
  readonly public?: boolean;
  /** Readable by admins only (secrets: they include token signing keys). */
  readonly adminOnly?: boolean;
  /** Kuma-style title of errors from this route, e.g. `Could not retrieve a resource`. */
  readonly errorTitle?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    strait?: StraitRouteConfig;
  }
}
