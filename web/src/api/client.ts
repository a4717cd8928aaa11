import { ApiError, networkError, problemFrom } from './problem';
import { accessToken, forget } from './session';

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent without the login, for the auth endpoints. */
  anonymous?: boolean;
}

/** One call to the API: JSON in and out, problem+json turned into ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body instanceof Blob) {
    // A file as the body itself (a photo), with its own type.
    headers['content-type'] = options.body.type || 'application/octet-stream';
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (!options.anonymous) {
    const token = await accessToken();
    if (token) headers.authorization = `Bearer ${token}`;
  }
  let response: Response;
  try {
    response = await fetch(path, { method: options.method ?? 'GET', headers, body });
  } catch (cause) {
    throw networkError(cause);
  }
  if (!response.ok) {
    const problem = await problemFrom(response);
    if (problem.status === 401 && !options.anonymous && problem.slug !== 'invalid-credentials') forget();
    throw problem;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : undefined) as T;
}

/** An upload with progress (fetch cannot report it): XMLHttpRequest. */
export async function upload<T>(
  path: string,
  form: FormData,
  onProgress: (fraction: number) => void,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<T> {
  const token = await accessToken();
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, path);
    request.setRequestHeader('accept', 'application/json');
    if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(networkError(new Error('The connection was lost during the upload.')));
    request.onload = async () => {
      const response = new Response(request.responseText || null, {
        status: request.status,
        headers: { 'content-type': request.getResponseHeader('content-type') ?? '' },
      });
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve((request.status === 204 || !request.responseText ? undefined : await response.json()) as T);
      } else {
        reject(await problemFrom(response));
      }
    };
    request.send(form);
  });
}

export { ApiError };

/** A file behind the login (a photo, a GPX), as a blob: `<img>` and links cannot send the token. */
export async function blob(path: string): Promise<Blob> {
  const token = await accessToken();
  let response: Response;
  try {
    response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch (cause) {
    throw networkError(cause);
  }
  if (!response.ok) throw await problemFrom(response);
  return response.blob();
}

/** Saves a file behind the login under the given name. */
export async function download(path: string, name: string): Promise<void> {
  const url = URL.createObjectURL(await blob(path));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
