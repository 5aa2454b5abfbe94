// The errors the endpoint and operations throw. Directus turns them into
// {"errors": [{"message", "extensions": {"code", ...}}]} with the status given here.
import { createError, ForbiddenError, InvalidPayloadError } from '@directus/errors';
import type { NextPanelFailure } from './nextpanel/failure.ts';

export { ForbiddenError, InvalidPayloadError };

export const AuthenticationRequiredError = createError(
	'UNAUTHENTICATED',
	'Log in to use NextPanel provisioning: this route needs an authenticated Directus user.',
	401,
);

export const ItemNotFoundError = createError<{ collection: string; id: string }>(
	'NEXTPANEL_NOT_FOUND',
	({ collection, id }) =>
		`There is no ${collection === 'hosting_accounts' ? 'hosting account' : collection === 'nextpanel_servers' ? 'NextPanel server' : 'customer'} with id "${id}".`,
	404,
);

export const StateConflictError = createError<{ reason: string }>('NEXTPANEL_CONFLICT', ({ reason }) => reason, 409);

interface UpstreamExtensions {
	reason: string;
	nextpanel_code: string;
	nextpanel_status: number | null;
	hosting_account?: string | null;
	fields?: { field: string; message: string }[];
}

export const NextPanelUpstreamError = createError<UpstreamExtensions>('NEXTPANEL_ERROR', ({ reason }) => reason, 502);
export const NextPanelTimeoutError = createError<UpstreamExtensions>('NEXTPANEL_TIMEOUT', ({ reason }) => reason, 504);

/** A NextPanel failure as the Directus error an API caller receives. */
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
