/**
 * Passkey ceremonies: the server's options carry binary fields as base64url
 * text; the browser wants bytes, and the server wants the answer as text again.
 */

function bytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function text(buffer: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

interface Described {
  id: string;
  type: string;
  transports?: string[];
}

type Options = { publicKey: Record<string, unknown> & { challenge: string } };

function credentialList(list: unknown): PublicKeyCredentialDescriptor[] {
  return ((list as Described[] | undefined) ?? []).map((c) => ({
    ...c,
    type: 'public-key',
    id: bytes(c.id),
    transports: c.transports as AuthenticatorTransport[] | undefined,
  }));
}

export function passkeysSupported(): boolean {
  return typeof window.PublicKeyCredential === 'function';
}

export async function createPasskey(options: Options): Promise<unknown> {
  const source = options.publicKey;
  const user = source.user as { id: string; name: string; displayName: string };
  const publicKey = {
    ...source,
    challenge: bytes(source.challenge),
    user: { ...user, id: bytes(user.id) },
    excludeCredentials: credentialList(source.excludeCredentials),
  } as unknown as PublicKeyCredentialCreationOptions;
  const made = (await navigator.credentials.create({ publicKey })) as PublicKeyCredential;
  const response = made.response as AuthenticatorAttestationResponse;
  return {
    id: made.id,
    rawId: text(made.rawId),
    type: made.type,
    extensions: made.getClientExtensionResults(),
    response: {
      attestationObject: text(response.attestationObject),
      clientDataJSON: text(response.clientDataJSON),
    },
  };
}

export async function getPasskey(options: Options): Promise<unknown> {
  const source = options.publicKey;
  const publicKey = {
    ...source,
    challenge: bytes(source.challenge),
    allowCredentials: credentialList(source.allowCredentials),
  } as unknown as PublicKeyCredentialRequestOptions;
  const used = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential;
  const response = used.response as AuthenticatorAssertionResponse;
  return {
    id: used.id,
    rawId: text(used.rawId),
    type: used.type,
    extensions: used.getClientExtensionResults(),
    response: {
      authenticatorData: text(response.authenticatorData),
      clientDataJSON: text(response.clientDataJSON),
      signature: text(response.signature),
      userHandle: response.userHandle ? text(response.userHandle) : null,
    },
  };
}
