/** An answer from the API that was not a success: RFC 9457 problem+json, or a network failure. */
export class ApiError extends Error {
  readonly status: number;
  /** The problem's slug (`invalid-input`, `invalid-credentials`, …), or `network` when no answer came. */
  readonly slug: string;
  readonly detail: string;
  readonly field?: string;
  readonly retryAfter?: number;
  /** The problem's other members (`existing_id` of a duplicate upload, …). */
  readonly extra: Record<string, unknown>;

  constructor(
    status: number,
    slug: string,
    detail: string,
    field?: string,
    retryAfter?: number,
    extra: Record<string, unknown> = {},
  ) {
    super(detail || slug);
    this.status = status;
    this.slug = slug;
    this.detail = detail;
    this.field = field;
    this.retryAfter = retryAfter;
    this.extra = extra;
  }

  /** True when the request never reached the server (offline, DNS, connection cut). */
  get isNetwork(): boolean {
    return this.status === 0;
  }

  /** No answer, or the server failed: the same request may well work later. */
  get isTransient(): boolean {
    return this.isNetwork || this.status >= 500;
  }
}

interface ProblemBody {
  type?: string;
  detail?: string;
  field?: string;
  [member: string]: unknown;
}

export async function problemFrom(response: Response): Promise<ApiError> {
  let body: ProblemBody = {};
  try {
    body = (await response.json()) as ProblemBody;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const slug = body.type?.split('/').pop() ?? `http-${response.status}`;
  const retry = Number(response.headers.get('retry-after'));
  return new ApiError(
    response.status,
    slug,
    body.detail ?? '',
    body.field,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
    body,
  );
}

export function networkError(cause: unknown): ApiError {
  return new ApiError(0, 'network', cause instanceof Error ? cause.message : String(cause));
}
