import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';

const base64url = z.string().min(1).max(16_384).regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');
const transports = z.array(z.enum(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'])).max(10);
const attachment = z.enum(['platform', 'cross-platform']);
// What the browser's WebAuthn call answers, as @simplewebauthn/browser encodes it (extension results are not used).
const credential = { id: base64url, rawId: base64url, type: z.literal('public-key'), authenticatorAttachment: attachment.optional() };
export const registrationResponse = z.object({
  ...credential,
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    authenticatorData: base64url.optional(),
    transports: transports.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url.optional(),
  }),
});
export const authenticationResponse = z.object({
  ...credential,
  response: z.object({ clientDataJSON: base64url, authenticatorData: base64url, signature: base64url, userHandle: base64url.optional() }),
});
export const asRegistration = (body: z.infer<typeof registrationResponse>): RegistrationResponseJSON => ({ ...body, clientExtensionResults: {} });
export const asAuthentication = (body: z.infer<typeof authenticationResponse>): AuthenticationResponseJSON => ({ ...body, clientExtensionResults: {} });
export const options = (what: string) => z.looseObject({ challenge: z.string() }).describe(`WebAuthn ${what} options, for navigator.credentials (JSON form)`);

/** The request options of a passkey sign-in or second step. */
export const passkeyRequestOptions = options('request');
