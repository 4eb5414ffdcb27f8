/** The gRPC adapter: protobuf-es services served and called with @grpc/grpc-js. */

export type { GrpcClientMethodOf, GrpcServiceClient } from './service-client.js';
export { createServiceClient } from './service-client.js';
export type {
  GrpcHandlerOf,
  GrpcRequestOf,
  GrpcResponseOf,
  GrpcServiceDefinition,
  GrpcServiceImplementation,
} from './service-definition.js';
export { createServiceDefinition, grpcMethodPath } from './service-definition.js';
