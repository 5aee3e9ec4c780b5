// Static checks of the gateway: the compose file resolves with .env.example, pins every image,
// and names no variable .env.example leaves undocumented; the compose upstreams match the ones
// gateway.conf routes to and balance over exactly the replicas the compose file runs; and nginx
// accepts gateway.conf, both as local runs render it and as the compose stack mounts it
// (`nginx -t`, with the nginx on PATH: the compose config uses nothing newer than it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { findNginx, renderNginxConf, UPSTREAM_NAMES } from '../nginx/render.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (file) => readFileSync(path.join(root, file), 'utf8');
const problems = [];

const composeArgs = ['-f', 'docker-compose.yml', '--env-file', '.env.example', 'config'];
const resolved = parse(execFileSync('docker-compose', composeArgs, { cwd: root, encoding: 'utf8' }));
for (const [name, service] of Object.entries(resolved.services)) {
  const tag = /:([^/:]+)$/.exec(service.image)?.[1];
  if (!tag || tag === 'latest')
    problems.push(`docker-compose.yml: ${name} must pin its image tag (${service.image})`);
}

// Each service's image tag defaults to its current version, in the compose file and .env.example
// alike (checked against the service's package.json where the workspace has it next to this one).
const envExample = Object.fromEntries(
  [...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]),
);
const pinnedTags = /\/([a-z-]+-service):\$\{([A-Z_]+_SERVICE_TAG):-([^}]+)\}/g;
for (const [, service, variable, tag] of read('docker-compose.yml').matchAll(pinnedTags)) {
  if (envExample[variable] !== tag) {
    problems.push(`.env.example sets ${variable}=${envExample[variable]}; the compose default is ${tag}`);
  }
  const manifest = path.join(root, '..', service, 'package.json');
  const version = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : tag;
  if (version !== tag)
    problems.push(`docker-compose.yml runs ${service}:${tag}; its current version is ${version}`);
}

const documented = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
for (const [, variable] of read('docker-compose.yml').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)) {
  if (!documented.has(variable)) problems.push(`.env.example does not document ${variable}`);
}

const upstreamsConf = read('nginx/upstreams.compose.conf');
const composeUpstreams = [...upstreamsConf.matchAll(/^upstream (\w+)/gm)].map((m) => m[1]);
if (composeUpstreams.sort().join() !== [...UPSTREAM_NAMES].sort().join()) {
  problems.push(
    `nginx/upstreams.compose.conf defines ${composeUpstreams.join(', ')}; expected ${UPSTREAM_NAMES.join(', ')}`,
  );
}

// A replica missing here gets no traffic; a server with no compose service behind it never resolves.
const replicas = Object.keys(resolved.services)
  .filter((name) => /-service-\d+$/.test(name))
  .sort();
const serversOf = (backup) =>
  [...upstreamsConf.matchAll(/^\s*server ([a-z][\w-]*):\d+([^;\n]*);/gm)]
    .filter((m) => /\bbackup\b/.test(m[2]) === backup)
    .map((m) => m[1])
    .sort();
const servers = serversOf(false);
// The backup lines are the same replicas again, tried when all of them are out (see the file's header).
if (serversOf(true).join() !== servers.join()) {
  problems.push(
    'nginx/upstreams.compose.conf: the backup servers must repeat the replicas, no more, no fewer',
  );
}
if (servers.join() !== replicas.join()) {
  problems.push(
    `nginx/upstreams.compose.conf balances over ${servers.join(', ')}; the compose file runs ${replicas.join(', ')}`,
  );
}

// nginx -t resolves every upstream server name; the replica names exist only on the compose
// network, so the compose check points them at the loopback address and keeps everything else.
const onLoopback = (conf) => conf.replace(/^(\s*server )[a-z][\w-]*(:\d+)/gm, '$1127.0.0.1$2');

async function nginxAccepts(nginx, environment, environmentFiles = {}) {
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'gateway-lint-'));
  try {
    const upstreams = Object.fromEntries(
      UPSTREAM_NAMES.map((name, i) => [name, [`127.0.0.1:${4101 + i * 100}`]]),
    );
    const { args } = await renderNginxConf({ prefix, listen: '127.0.0.1:8080', upstreams });
    for (const [file, text] of Object.entries(environmentFiles)) {
      writeFileSync(path.join(prefix, 'conf', file), text);
    }
    execFileSync(nginx, ['-t', '-q', ...args], { stdio: 'inherit' });
  } catch {
    problems.push(`nginx -t rejected gateway.conf ${environment}`);
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}

const nginx = findNginx();
if (!nginx) {
  problems.push('nginx not found on PATH: cannot check gateway.conf (apt-get install nginx-light)');
} else {
  await nginxAccepts(nginx, 'as local runs render it');
  await nginxAccepts(nginx, 'with the compose upstreams and CORS origins', {
    'upstreams.conf': onLoopback(upstreamsConf),
    'cors-origins.conf': read('nginx/cors-origins.compose.conf'),
  });
}

for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log('gateway: compose file, upstreams and nginx config are valid');
