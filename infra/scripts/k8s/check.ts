// `npm run lint:k8s`: renders every overlay of infra/k8s and holds each object to manifest-rules.ts.
// Exits 1 naming every problem.
import path from 'node:path';
import {
  kustomizeBuild,
  overlayNames,
  removeCopy,
  renderableCopy,
  sourcesNamingLatest,
} from './kustomize.js';
import { findManifestProblems } from './manifest-rules.js';

const copy = await renderableCopy();
let failed = false;
try {
  for (const file of await sourcesNamingLatest()) {
    failed = true;
    console.error(`k8s: ${file} names a :latest tag; pin a version`);
  }
  for (const overlay of await overlayNames(copy)) {
    const manifests = await kustomizeBuild(path.join(copy, 'overlays', overlay));
    const problems = findManifestProblems(manifests);
    if (problems.length === 0) {
      console.log(`k8s: overlays/${overlay}: ${manifests.length} objects valid`);
    } else {
      failed = true;
      console.error(`k8s: overlays/${overlay}: ${problems.length} problems\n  ${problems.join('\n  ')}`);
    }
  }
} catch (error) {
  failed = true;
  console.error(`k8s: ${(error as Error).message}`);
} finally {
  await removeCopy(copy);
}
process.exitCode = failed ? 1 : 0;
