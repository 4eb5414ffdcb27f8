import type { Component, Logger, MeshCaManager, MeshSpec, Resource, ResourceStore } from '@strait/shared';

/** Options of {@link createMeshCaProvisioner}. */
export interface MeshCaProvisionerOptions {
  readonly store: ResourceStore;
  readonly caManager: MeshCaManager;
  readonly logger: Logger;
}

function builtinBackendOf(mesh: Resource): string | undefined {
  const mtls = (mesh.spec as MeshSpec).mtls;
  const enabled = mtls?.enabledBackend;
  const backend = mtls?.backends?.find((b) => b.name === enabled);
  return backend?.type === 'builtin' ? backend.name : undefined;
}

/**
 * On the global CP: every mesh with a builtin mTLS backend gets its CA (as Secrets) here, so
 * there is one trust root per mesh for all zones; KDS carries the Secrets down and zones issue
 * proxy certificates from it. Runs at start for existing meshes and on every Mesh write.
 */
export function createMeshCaProvisioner(options: MeshCaProvisionerOptions): Component {
  const log = options.logger.child({ component: 'mesh-ca-provisioner' });
  let unsubscribe: (() => void) | undefined;
  const ensure = (mesh: Resource): void => {
    const backend = builtinBackendOf(mesh);
    if (backend === undefined) return;
    options.caManager.ensureCa(mesh.meta.name, backend).then(
      (ca) => log.debug({ mesh: mesh.meta.name, backend, serial: ca.serialNumber }, 'mesh CA present'),
      (err: unknown) => log.error({ err, mesh: mesh.meta.name, backend }, 'failed to provision the mesh CA'),
    );
  };
  return {
    name: 'mesh-ca-provisioner',
    needsLeadership: true,
    async start() {
      unsubscribe = options.store.subscribe((event) => {
        if (event.key.type === 'Mesh' && event.op !== 'delete') ensure(event.resource);
      });
      for (const mesh of (await options.store.list({ type: 'Mesh' })).items) ensure(mesh);
    },
    async stop() {
      unsubscribe?.();
    },
  };
}
