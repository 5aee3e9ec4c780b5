import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import {
  kustomizeBuild,
  overlayNames,
  removeCopy,
  renderableCopy,
  sourcesNamingLatest,
} from '../scripts/k8s/kustomize.js';
import { findManifestProblems, type Manifest } from '../scripts/k8s/manifest-rules.js';

describe('Kubernetes manifests (infra/k8s)', function () {
  this.timeout(60_000);
  const rendered = new Map<string, Manifest[]>();

  before(async () => {
    const copy = await renderableCopy();
    try {
      for (const overlay of await overlayNames(copy))
        rendered.set(overlay, await kustomizeBuild(path.join(copy, 'overlays', overlay)));
    } finally {
      await removeCopy(copy);
    }
  });

  /** The prod render with one object changed by `change` (a deep copy: the others stay as rendered). */
  function prodWith(kind: string, name: string, change: (manifest: Manifest) => void): Manifest[] {
    const manifests = structuredClone(rendered.get('prod')!);
    const target = manifests.find((manifest) => manifest.kind === kind && manifest.metadata?.name === name);
    if (!target) throw new Error(`the prod render has no ${kind} ${name}`);
    change(target);
    return manifests;
  }

  type Container = Record<string, unknown> & { securityContext: Record<string, unknown> };
  const firstContainer = (manifest: Manifest) =>
    (manifest.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0]!;

  it('When both overlays are rendered, then every object passes every rule', () => {
    expect([...rendered.keys()].sort()).to.deep.equal(['dev', 'prod']);
    for (const [overlay, manifests] of rendered) {
      expect(findManifestProblems(manifests), overlay).to.deep.equal([]);
    }
  });

  it('When the overlays are rendered, then each service and the gateway has a Deployment, Service, autoscaler and budget', () => {
    const services = ['user', 'product', 'cart', 'order', 'payment', 'notification'].map(
      (name) => `${name}-service`,
    );
    for (const manifests of rendered.values()) {
      for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
        const names = manifests
          .filter((manifest) => manifest.kind === kind)
          .map((manifest) => manifest.metadata?.name);
        expect(names, kind).to.include.members([...services, 'gateway']);
      }
    }
  });

  it('When a Deployment has no readinessProbe, then the check names it', () => {
    const manifests = prodWith('Deployment', 'cart-service', (deployment) => {
      delete firstContainer(deployment).readinessProbe;
    });

    expect(findManifestProblems(manifests)).to.deep.equal([
      'Deployment cart-service: container service has no readinessProbe',
    ]);
  });

  it('When an image is tagged latest or not tagged at all, then the check refuses both', () => {
    const latest = prodWith('Deployment', 'order-service', (deployment) => {
      firstContainer(deployment).image = 'docker.io/escalable/order-service:latest';
    });
    const untagged = prodWith('Deployment', 'gateway', (deployment) => {
      firstContainer(deployment).image = 'docker.io/nginxinc/nginx-unprivileged';
    });

    expect(findManifestProblems(latest).join('\n')).to.match(/Deployment order-service: .*names latest/);
    expect(findManifestProblems(untagged).join('\n')).to.include('has no tag (it would pull latest)');
  });

  it('When a field has the wrong type, then the Kubernetes schema refuses the object', () => {
    const manifests = prodWith('HorizontalPodAutoscaler', 'user-service', (hpa) => {
      hpa.spec!.maxReplicas = 'six';
    });

    expect(findManifestProblems(manifests)).to.deep.equal([
      'HorizontalPodAutoscaler user-service: data/spec/maxReplicas must be integer',
    ]);
  });

  it('When a container may run as root with a writable root filesystem, then the check names both', () => {
    const manifests = prodWith('Deployment', 'payment-service', (deployment) => {
      delete (deployment.spec as { template: { spec: { securityContext?: unknown } } }).template.spec
        .securityContext;
      firstContainer(deployment).securityContext.readOnlyRootFilesystem = false;
    });

    expect(findManifestProblems(manifests)).to.deep.equal([
      'Deployment payment-service: container service may run as root (set runAsNonRoot)',
      'Deployment payment-service: container service has a writable root filesystem (readOnlyRootFilesystem)',
    ]);
  });

  it('When a Deployment has no resources, then the check names the missing requests and limit', () => {
    const manifests = prodWith('Deployment', 'product-service', (deployment) => {
      delete firstContainer(deployment).resources;
    });

    expect(findManifestProblems(manifests)).to.deep.equal([
      'Deployment product-service: container service has no cpu and memory requests',
      'Deployment product-service: container service has no memory limit',
    ]);
  });

  it('When a pod reads a Secret that is not in the render, then the check names it', () => {
    const manifests = prodWith('Deployment', 'user-service', (deployment) => {
      const env = firstContainer(deployment).env as { valueFrom?: { secretKeyRef?: { name: string } } }[];
      env.find(
        (variable) => variable.valueFrom?.secretKeyRef?.name === 'user-db-app',
      )!.valueFrom!.secretKeyRef!.name = 'users-db-app';
    });

    expect(findManifestProblems(manifests)).to.deep.equal([
      'Deployment user-service: reads Secret users-db-app, which is not in the render',
    ]);
  });

  it('When a Service selects labels no pod has, then the check says it has no pods to route to', () => {
    const manifests = prodWith('Service', 'order-service', (service) => {
      (service.spec!.selector as Record<string, string>)['app.kubernetes.io/name'] = 'orders-service';
    });

    expect(findManifestProblems(manifests)).to.deep.equal([
      'Service order-service: selects no pods of a Deployment or StatefulSet here',
    ]);
  });

  it('When a CloudNativePG Cluster has no instances, or an object has a kind without a schema, then the check refuses them', () => {
    const manifests = prodWith('Cluster', 'user-db', (cluster) => {
      delete cluster.spec!.instances;
    });
    manifests.push({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });

    expect(findManifestProblems(manifests)).to.deep.equal([
      'Cluster user-db: spec.instances must be an integer of at least 1',
      'Widget w: example.com/v1 Widget has no schema to check it against',
    ]);
  });

  it('When a source file names a :latest tag that an overlay would override, then the check still names the file', async () => {
    const k8sDir = await mkdtemp(path.join(os.tmpdir(), 'k8s-latest-'));
    try {
      await mkdir(path.join(k8sDir, 'base'));
      await writeFile(
        path.join(k8sDir, 'base', 'deployment.yaml'),
        'image: docker.io/escalable/cart-service:latest\n',
      );
      await writeFile(
        path.join(k8sDir, 'base', 'service.yaml'),
        'image: docker.io/escalable/cart-service:0.1.0\n',
      );

      expect(await sourcesNamingLatest(k8sDir)).to.deep.equal([path.join('base', 'deployment.yaml')]);
    } finally {
      await rm(k8sDir, { recursive: true, force: true });
    }
  });
});
