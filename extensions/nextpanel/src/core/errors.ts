// The errors the endpoint, hooks and operations throw. Directus turns them into
// {"errors": [{"message", "extensions": {"code", ...}}]} with the status given here.
import { createError, ForbiddenError, InvalidPayloadError as DirectusInvalidPayloadError } from '@directus/errors';
import type { NextPanelFailure } from './nextpanel/failure.ts';

export { ForbiddenError };

/** Directus's 400, which ends the reason with a period of its own: ours arrive without one. */
export class InvalidPayloadError extends DirectusInvalidPayloadError {
	constructor(extensions: { reason: string }) {
		super({ ...extensions, reason: extensions.reason.replace(/[.\s]+$/, '') });
	}
}

export const AuthenticationRequiredError = createError(
	'UNAUTHENTICATED',
	'Log in to use NextPanel provisioning: this route needs an authenticated Directus user.',
	401,
);

const ITEM_NAMES: Readonly<Record<string, string>> = {
	hosting_accounts: 'hosting account',
	nextpanel_servers: 'NextPanel server',
};

/** For administrators only: everyone else gets 403 for missing and forbidden alike, as Directus answers. */
export const ItemNotFoundError = createError<{ collection: string; id: string }>(
	'NEXTPANEL_NOT_FOUND',
	({ collection, id }) => `There is no ${ITEM_NAMES[collection] ?? 'customer'} with id "${id}".`,
	404,
);

export const StateConflictError = createError<{ reason: string; hosting_account?: string }>(
	'NEXTPANEL_CONFLICT',
	({ reason }) => reason,
	409,
);

/** A password that was revealed or mailed already: it is gone for good. */
export const PasswordGoneError = createError<{ reason: string }>('NEXTPANEL_PASSWORD_GONE', ({ reason }) => reason, 410);

/** A saved secret only ever goes to the saved base_url: another address needs it typed again. */
export const SecretRequiredError = createError<{ reason: string }>('NEXTPANEL_SECRET_REQUIRED', ({ reason }) => reason, 400);

/** The bundle is installed but cannot work until an administrator sets something. */
export const NotConfiguredError = createError<{ reason: string }>(
	'NEXTPANEL_NOT_CONFIGURED',
	({ reason }) => `NextPanel provisioning is not set up yet: ${reason}`,
	503,
);

interface UpstreamExtensions {
	reason: string;
	nextpanel_code: string;
	nextpanel_status: number | null;
	hosting_account?: string | null;
	fields?: { field: string; message: string }[];
}

export const NextPanelUpstreamError = createError<UpstreamExtensions>('NEXTPANEL_ERROR', ({ reason }) => reason, 502);
export const NextPanelTimeoutError = createError<UpstreamExtensions>('NEXTPANEL_TIMEOUT', ({ reason }) => reason, 504);

/** A NextPanel failure as the Directus error an API caller receives (502, or 504 for a timeout). */
export function upstreamError(failure: NextPanelFailure, hostingAccount?: string | null, reason?: string): Error {
	const extensions: UpstreamExtensions = {
		reason: reason ?? failure.message,
		nextpanel_code: failure.code,
		nextpanel_status: failure.httpStatus,
		...(hostingAccount ? { hosting_account: hostingAccount } : {}),
		...(failure.fieldErrors.length ? { fields: failure.fieldErrors } : {}),
	};
	return failure.code === 'timeout' ? new NextPanelTimeoutError(extensions) : new NextPanelUpstreamError(extensions);
}
