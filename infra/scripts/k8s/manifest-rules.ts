// What every rendered manifest must satisfy: the Kubernetes API schema of its kind, pinned images,
// and for each workload probes, resources and a locked-down security context.
import { createRequire } from 'node:module';

/** A Kubernetes object as rendered: only the fields the rules read are typed. */
export interface Manifest {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; [field: string]: unknown };
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

interface Container {
  name?: string;
  image?: string;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  startupProbe?: unknown;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
  };
  env?: { valueFrom?: { secretKeyRef?: { name?: string }; configMapKeyRef?: { name?: string } } }[];
  envFrom?: { secretRef?: { name?: string }; configMapRef?: { name?: string } }[];
}

interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean };
  containers?: Container[];
  initContainers?: Container[];
  volumes?: { configMap?: { name?: string }; secret?: { secretName?: string } }[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);
const require = createRequire(import.meta.url);

/** Every problem of the rendered objects, one line each; empty when all is well. */
export function findManifestProblems(manifests: readonly Manifest[]): string[] {
  return [
    ...manifests.flatMap((manifest) => schemaProblems(manifest)),
    ...manifests.flatMap((manifest) => latestProblems(manifest)),
    ...manifests.flatMap((manifest) => workloadProblems(manifest)),
    ...companionProblems(manifests),
    ...referenceProblems(manifests),
  ];
}

function label(manifest: Manifest): string {
  return `${String(manifest.kind)} ${String(manifest.metadata?.name ?? '(no name)')}`;
}

function schemaProblems(manifest: Manifest): string[] {
  const { apiVersion, kind } = manifest;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string')
    return [`${label(manifest)}: no apiVersion or kind`];
  if (apiVersion === 'postgresql.cnpg.io/v1' && kind === 'Cluster') return cnpgClusterProblems(manifest);
  const model = modelFor(apiVersion, kind);
  if (!model) return [`${label(manifest)}: ${apiVersion} ${kind} has no schema to check it against`];
  try {
    new model(asTheApiServerReadsIt(manifest)).validate();
    return [];
  } catch (error) {
    return [`${label(manifest)}: ${(error as Error).message}`];
  }
}

/**
 * kustomize wraps a long Secret value's base64 over several lines; the API server's decoder skips
 * line breaks, the schema's `byte` format does not.
 */
function asTheApiServerReadsIt(manifest: Manifest): Manifest {
  const data = manifest.data;
  if (manifest.kind !== 'Secret' || !data || typeof data !== 'object') return manifest;
  const unwrapped = Object.entries(data).map(([key, value]) => [
    key,
    typeof value === 'string' ? value.replace(/\n/g, '') : value,
  ]);
  return { ...manifest, data: Object.fromEntries(unwrapped) };
}

type ModelClass = new (data: unknown) => { validate(): void };

/** The kubernetes-models class of a built-in kind (`kubernetes-models/apps/v1` exports Deployment, …). */
function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) return undefined;
  try {
    const group = require(`kubernetes-models/${apiVersion}`) as Record<string, unknown>;
    const model = group[kind];
    return typeof model === 'function' ? (model as ModelClass) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * No JSON schema of CloudNativePG's CRD ships on npm, so its Cluster is held to the fields these
 * manifests rely on: what the operator requires, and a pinned image.
 */
function cnpgClusterProblems(manifest: Manifest): string[] {
  const spec = manifest.spec ?? {};
  const storage = spec.storage as { size?: unknown } | undefined;
  const initdb = (spec.bootstrap as { initdb?: { database?: unknown; owner?: unknown } } | undefined)?.initdb;
  const problems: string[] = [];
  if (!Number.isInteger(spec.instances) || (spec.instances as number) < 1)
    problems.push('spec.instances must be an integer of at least 1');
  if (typeof storage?.size !== 'string') problems.push('spec.storage.size must be a quantity such as 20Gi');
  if (typeof initdb?.database !== 'string' || typeof initdb.owner !== 'string')
    problems.push('spec.bootstrap.initdb needs database and owner (the app secret is made for them)');
  if (typeof spec.imageName !== 'string') problems.push('spec.imageName must pin the PostgreSQL image');
  else problems.push(...imageProblems(spec.imageName, 'spec.imageName'));
  return problems.map((problem) => `${label(manifest)}: ${problem}`);
}

/** `latest` anywhere: an image, an annotation, an argument. */
function latestProblems(manifest: Manifest): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (/:latest\b/.test(value)) found.push(`${label(manifest)}: ${path} names latest (${value})`);
    } else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`));
    else if (value && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key);
  };
  walk(manifest, '');
  return found;
}

function imageProblems(image: string | undefined, where: string): string[] {
  if (!image) return [`${where} has no image`];
  if (image.includes('@sha256:')) return [];
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  if (!lastSegment.includes(':')) return [`${where} image ${image} has no tag (it would pull latest)`];
  return [];
}

function podSpecOf(manifest: Manifest): PodSpec | undefined {
  if (!WORKLOAD_KINDS.has(String(manifest.kind))) return undefined;
  return (manifest.spec?.template as { spec?: PodSpec } | undefined)?.spec;
}

function workloadProblems(manifest: Manifest): string[] {
  const pod = podSpecOf(manifest);
  if (!pod) return [];
  const problems: string[] = [];
  const podNonRoot = pod.securityContext?.runAsNonRoot === true;
  for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
    const where = `container ${container.name ?? '(no name)'}`;
    const say = (problem: string) => problems.push(`${label(manifest)}: ${where} ${problem}`);
    problems.push(
      ...imageProblems(container.image, where).map((problem) => `${label(manifest)}: ${problem}`),
    );
    if (!pod.initContainers?.includes(container)) {
      if (!container.readinessProbe) say('has no readinessProbe');
      if (!container.livenessProbe) say('has no livenessProbe');
      if (manifest.kind === 'Deployment' && !container.startupProbe) say('has no startupProbe');
    }
    const { requests, limits } = container.resources ?? {};
    if (!requests?.cpu || !requests.memory) say('has no cpu and memory requests');
    if (!limits?.memory) say('has no memory limit');
    const security = container.securityContext;
    if (!podNonRoot && security?.runAsNonRoot !== true) say('may run as root (set runAsNonRoot)');
    if (security?.readOnlyRootFilesystem !== true)
      say('has a writable root filesystem (readOnlyRootFilesystem)');
    if (security?.allowPrivilegeEscalation !== false) say('allows privilege escalation');
  }
  if ((pod.containers ?? []).length === 0) problems.push(`${label(manifest)}: has no containers`);
  return problems;
}

function podLabels(manifest: Manifest): Record<string, string> {
  const template = manifest.spec?.template as { metadata?: { labels?: Record<string, string> } } | undefined;
  return template?.metadata?.labels ?? {};
}

function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  const pairs = Object.entries(selector ?? {});
  return pairs.length > 0 && pairs.every(([key, value]) => labels[key] === value);
}

/**
 * Each Deployment is scaled by an autoscaler and a disruption budget covers its pods; each Service
 * selects some workload's pods (else it has no endpoints), and each Ingress backend is a Service here.
 */
function companionProblems(manifests: readonly Manifest[]): string[] {
  const ofKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
  const workloads = manifests.filter((manifest) => WORKLOAD_KINDS.has(String(manifest.kind)));
  const serviceNames = new Set(ofKind('Service').map((service) => service.metadata?.name));
  const unselected = ofKind('Service')
    .filter(
      (service) =>
        !workloads.some((workload) =>
          selects(service.spec?.selector as Record<string, string>, podLabels(workload)),
        ),
    )
    .map((service) => `${label(service)}: selects no pods of a Deployment or StatefulSet here`);
  const missingBackends = ofKind('Ingress').flatMap((ingress) => {
    const rules = (ingress.spec?.rules ?? []) as {
      http?: { paths?: { backend?: { service?: { name?: string } } }[] };
    }[];
    return rules
      .flatMap((rule) => rule.http?.paths ?? [])
      .map((ingressPath) => ingressPath.backend?.service?.name)
      .filter((name) => !serviceNames.has(name))
      .map((name) => `${label(ingress)}: routes to Service ${String(name)}, which is not in the render`);
  });
  return [
    ...unselected,
    ...missingBackends,
    ...ofKind('Deployment').flatMap((deployment) => {
      const problems: string[] = [];
      const scaled = ofKind('HorizontalPodAutoscaler').some((hpa) => {
        const target = hpa.spec?.scaleTargetRef as { kind?: string; name?: string } | undefined;
        return target?.kind === 'Deployment' && target.name === deployment.metadata?.name;
      });
      if (!scaled) problems.push(`${label(deployment)}: no HorizontalPodAutoscaler targets it`);
      const budgeted = ofKind('PodDisruptionBudget').some((pdb) =>
        selects(
          (pdb.spec?.selector as { matchLabels?: Record<string, string> })?.matchLabels,
          podLabels(deployment),
        ),
      );
      if (!budgeted) problems.push(`${label(deployment)}: no PodDisruptionBudget selects its pods`);
      return problems;
    }),
  ];
}

/**
 * ConfigMaps and Secrets a pod reads exist in the render (a name a patch or prefix got wrong would
 * only show as a pod stuck in CreateContainerConfigError), except the `<cluster>-app` secret that
 * CloudNativePG makes for each Cluster.
 */
function referenceProblems(manifests: readonly Manifest[]): string[] {
  const names = (kind: string) =>
    new Set(
      manifests.filter((manifest) => manifest.kind === kind).map((manifest) => manifest.metadata?.name),
    );
  const configMaps = names('ConfigMap');
  const secrets = names('Secret');
  for (const cluster of names('Cluster')) secrets.add(`${String(cluster)}-app`);
  return manifests.flatMap((manifest) => {
    const pod = podSpecOf(manifest);
    if (!pod) return [];
    const wanted: { kind: 'ConfigMap' | 'Secret'; name: string | undefined }[] = [];
    for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      for (const variable of container.env ?? []) {
        if (variable.valueFrom?.secretKeyRef)
          wanted.push({ kind: 'Secret', name: variable.valueFrom.secretKeyRef.name });
        if (variable.valueFrom?.configMapKeyRef)
          wanted.push({ kind: 'ConfigMap', name: variable.valueFrom.configMapKeyRef.name });
      }
      for (const source of container.envFrom ?? []) {
        if (source.secretRef) wanted.push({ kind: 'Secret', name: source.secretRef.name });
        if (source.configMapRef) wanted.push({ kind: 'ConfigMap', name: source.configMapRef.name });
      }
    }
    for (const volume of pod.volumes ?? []) {
      if (volume.configMap) wanted.push({ kind: 'ConfigMap', name: volume.configMap.name });
      if (volume.secret) wanted.push({ kind: 'Secret', name: volume.secret.secretName });
    }
    return wanted
      .filter(({ kind, name }) => !(kind === 'Secret' ? secrets : configMaps).has(name))
      .map(
        ({ kind, name }) => `${label(manifest)}: reads ${kind} ${String(name)}, which is not in the render`,
      );
  });
}
