// `npm run k8s:render`: writes each overlay's gateway-nginx/ (not committed), after which
// `kubectl apply -k infra/k8s/overlays/<name>` deploys it.
import path from 'node:path';
import { renderGatewayConf } from './gateway-conf.js';
import { K8S_DIR, overlayNames } from './kustomize.js';

for (const overlay of await overlayNames()) {
  await renderGatewayConf(path.join(K8S_DIR, 'overlays', overlay));
  console.log(`k8s: overlays/${overlay}/gateway-nginx rendered`);
}
