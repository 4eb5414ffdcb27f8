/**
 * Serves and calls protobuf-es services with @grpc/grpc-js. grpc-js wants a `ServiceDefinition`
 * (path, streaming flags and (de)serializers per method); protobuf-es describes a service with
 * a `GenService`. This turns the second into the first, so xDS and KDS run on grpc-js (which
 * Envoy and other gRPC clients interoperate with) while the messages stay protobuf-es messages.
 */

import type { DescMessage, DescMethod, DescService, MessageShape } from '@bufbuild/protobuf';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type {
  handleBidiStreamingCall,
  handleClientStreamingCall,
  handleServerStreamingCall,
  handleUnaryCall,
  MethodDefinition,
} from '@grpc/grpc-js';

type MethodOf<S extends DescService, K extends keyof S['method']> = S['method'][K] extends DescMethod
  ? S['method'][K]
  : never;

/** Request message type of method `K` of service `S`. */
export type GrpcRequestOf<S extends DescService, K extends keyof S['method']> = MessageShape<MethodOf<S, K>['input']>;

/** Response message type of method `K` of service `S`. */
export type GrpcResponseOf<S extends DescService, K extends keyof S['method']> = MessageShape<MethodOf<S, K>['output']>;

/**
 * The grpc-js definition of a protobuf-es service: one entry per method, keyed by the method's
 * protobuf-es local name (`streamAggregatedResources`); `originalName` is the proto name, so
 * grpc-js also accepts implementations and offers client methods under it.
 */
export type GrpcServiceDefinition<S extends DescService> = {
  readonly [K in keyof S['method']]: MethodDefinition<GrpcRequestOf<S, K>, GrpcResponseOf<S, K>>;
};

/** The grpc-js handler type for one method, chosen by its streaming kind. */
export type GrpcHandlerOf<S extends DescService, K extends keyof S['method']> = {
  unary: handleUnaryCall<GrpcRequestOf<S, K>, GrpcResponseOf<S, K>>;
  server_streaming: handleServerStreamingCall<GrpcRequestOf<S, K>, GrpcResponseOf<S, K>>;
  client_streaming: handleClientStreamingCall<GrpcRequestOf<S, K>, GrpcResponseOf<S, K>>;
  bidi_streaming: handleBidiStreamingCall<GrpcRequestOf<S, K>, GrpcResponseOf<S, K>>;
}[MethodOf<S, K>['methodKind']];

/**
 * What `server.addService(createServiceDefinition(S), impl)` expects as `impl`: a handler per
 * method, keyed by local name. A missing method answers UNIMPLEMENTED (grpc-js's default).
 */
export type GrpcServiceImplementation<S extends DescService> = {
  [K in keyof S['method']]: GrpcHandlerOf<S, K>;
};

/** The gRPC path of a method, as on the wire: `/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources`. */
export function grpcMethodPath(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

/**
 * Builds the grpc-js `ServiceDefinition` of a protobuf-es service. Use it with
 * `server.addService(definition, implementation)` and `makeClientConstructor(definition, name)`
 * (or {@link createServiceClient}).
 */
export function createServiceDefinition<S extends DescService>(service: S): GrpcServiceDefinition<S> {
  const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const method of service.methods) {
    definition[method.localName] = {
      path: grpcMethodPath(method),
      originalName: method.name,
      requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
      responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
      requestSerialize: serializer(method.input),
      requestDeserialize: deserializer(method.input),
      responseSerialize: serializer(method.output),
      responseDeserialize: deserializer(method.output),
    };
  }
  // The loop above fills exactly the keys of S['method'] (protobuf-es keys them by local name).
  return Object.freeze(definition) as GrpcServiceDefinition<S>;
}

function serializer(schema: DescMessage): (value: unknown) => Buffer {
  return (value) => {
    const bytes = toBinary(schema, value as MessageShape<DescMessage>);
    // A view, not a copy: grpc-js only reads it.
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}

function deserializer(schema: DescMessage): (bytes: Buffer) => unknown {
  // Decode from a plain Uint8Array view so that `bytes` fields come out as Uint8Array (as
  // protobuf-es documents), not as Buffer slices.
  return (bytes) => fromBinary(schema, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
