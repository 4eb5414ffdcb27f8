import type { DescMethod, DescService } from '@bufbuild/protobuf';
import type {
  CallOptions,
  ChannelCredentials,
  ChannelOptions,
  Client,
  ClientDuplexStream,
  ClientReadableStream,
  ClientUnaryCall,
  ClientWritableStream,
  Metadata,
  requestCallback,
} from '@grpc/grpc-js';
import { makeClientConstructor } from '@grpc/grpc-js';
import { createServiceDefinition, type GrpcRequestOf, type GrpcResponseOf } from './service-definition.js';

type KindOf<S extends DescService, K extends keyof S['method']> = S['method'][K] extends {
  methodKind: infer M extends DescMethod['methodKind'];
}
  ? M
  : never;

/** The client-side call signature of one method, chosen by its streaming kind. */
export type GrpcClientMethodOf<S extends DescService, K extends keyof S['method']> = {
  unary: (
    request: GrpcRequestOf<S, K>,
    metadata: Metadata,
    options: Partial<CallOptions>,
    callback: requestCallback<GrpcResponseOf<S, K>>,
  ) => ClientUnaryCall;
  server_streaming: (
    request: GrpcRequestOf<S, K>,
    metadata?: Metadata,
    options?: Partial<CallOptions>,
  ) => ClientReadableStream<GrpcResponseOf<S, K>>;
  client_streaming: (
    metadata: Metadata,
    options: Partial<CallOptions>,
    callback: requestCallback<GrpcResponseOf<S, K>>,
  ) => ClientWritableStream<GrpcRequestOf<S, K>>;
  bidi_streaming: (
    metadata?: Metadata,
    options?: Partial<CallOptions>,
  ) => ClientDuplexStream<GrpcRequestOf<S, K>, GrpcResponseOf<S, K>>;
}[KindOf<S, K>];

/** A grpc-js client of a protobuf-es service: a `Client` plus one typed method per RPC (by local name). */
export type GrpcServiceClient<S extends DescService> = Client & {
  [K in keyof S['method']]: GrpcClientMethodOf<S, K>;
};

/**
 * Creates a grpc-js client for a protobuf-es service. Close it with `client.close()`.
 *
 * @param address `host:port` (or any grpc-js target).
 */
export function createServiceClient<S extends DescService>(
  service: S,
  address: string,
  credentials: ChannelCredentials,
  options: Partial<ChannelOptions> = {},
): GrpcServiceClient<S> {
  const Ctor = makeClientConstructor(createServiceDefinition(service), service.typeName);
  // makeClientConstructor adds exactly the methods of the definition, untyped.
  return new Ctor(address, credentials, options) as unknown as GrpcServiceClient<S>;
}
