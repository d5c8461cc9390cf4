export { FastifyRouteInstrumentation, FASTIFY_ROUTE_INSTRUMENTATION_NAME } from './instrumentation';
