export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
}

export function mergeOpenApi(documents: OpenApiDocument[]): OpenApiDocument;
export function fetchServiceDocuments(serviceUrls: string[]): Promise<OpenApiDocument[]>;
export function writeApiDocs(htmlDir: string, documents: OpenApiDocument[]): Promise<void>;
