export type UpstreamName =
  | 'user_service'
  | 'product_service'
  | 'cart_service'
  | 'order_service'
  | 'payment_service'
  | 'notification_service';

export declare const UPSTREAM_NAMES: readonly UpstreamName[];

/** What a local run allows by default: `http://localhost:*` and `http://127.0.0.1:*`. */
export declare const LOCAL_CORS_ORIGINS: readonly string[];

export interface RenderOptions {
  /** nginx prefix directory: conf/, temp/ and the pid file go there. */
  prefix: string;
  /** What `listen` gets, e.g. `127.0.0.1:8080`. */
  listen: string | number;
  /** `host:port` servers per upstream; an upstream left out answers 502 problem+json. */
  upstreams: Partial<Record<UpstreamName, readonly string[]>>;
  /**
   * Origins whose pages may call the API: `scheme://host[:port]`, where `*` stands for one DNS label
   * or the port (`https://*.example.com`, `http://localhost:*`). Default: LOCAL_CORS_ORIGINS.
   */
  corsOrigins?: readonly string[];
}

export interface RenderedNginx {
  confPath: string;
  /** Arguments for the nginx binary: foreground, errors on stderr. */
  args: string[];
}

export declare function findNginx(searchPath?: string): string | undefined;
export declare function renderNginxConf(options: RenderOptions): Promise<RenderedNginx>;
