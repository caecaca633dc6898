import type { FastifyInstance } from 'fastify';

export interface ServedRoute {
  method: string;
  url: string;
}

/**
 * Every route Fastify registers from now on (Nest's controllers, Swagger UI, static assets), as
 * Fastify itself records it: the list an OpenAPI or authorization test must cover.
 */
export function collectRoutes(fastify: FastifyInstance): ServedRoute[] {
  const routes: ServedRoute[] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url });
  });
  return routes;
}
