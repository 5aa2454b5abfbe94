// Encrypts a NextPanel server's API secret before the row (and its revision) is written, keeps
// the saved secret when an edit does not re-enter it, and refuses addresses that are not
// http(s) or that point at link-local / metadata ranges.
import { defineHook } from '@directus/extensions-sdk';
import { InvalidPayloadError } from '../../core/errors.ts';
import { useRuntime } from '../../core/runtime.ts';
import { SecretBox } from '../../core/secret-box.ts';
import { API_SECRET_PURPOSE } from '../../core/secret-purposes.ts';
import { assertUrlAllowed, UrlNotAllowed } from '../../core/url-guard.ts';

/** What Directus shows for a concealed field; sent back unchanged it means "keep the saved one". */
const CONCEALED = '**********';

type ServerPayload = Record<string, unknown>;

export default defineHook(({ filter }, context) => {
	const runtime = () => useRuntime(context);

	async function protect(payload: ServerPayload, creating: boolean): Promise<ServerPayload> {
		if ('base_url' in payload && typeof payload['base_url'] === 'string') {
			try {
				payload['base_url'] = (await assertUrlAllowed(payload['base_url'], runtime().denyList)).toString().replace(/\/+$/, '');
			} catch (error) {
				if (error instanceof UrlNotAllowed) throw new InvalidPayloadError({ reason: `base_url: ${error.message}` });
				throw error;
			}
		}
		if (!('api_secret' in payload)) return payload;
		const secret: unknown = payload['api_secret'];
		if (secret === CONCEALED || secret === '' || secret === null || secret === undefined) {
			if (creating) throw new InvalidPayloadError({ reason: 'api_secret: enter the API secret (it is never shown again after saving)' });
			delete payload['api_secret'];
			return payload;
		}
		if (typeof secret !== 'string') throw new InvalidPayloadError({ reason: 'api_secret: must be text' });
		if (!SecretBox.isSealed(secret)) payload['api_secret'] = runtime().secrets.seal(secret.trim(), API_SECRET_PURPOSE);
		return payload;
	}

	filter('nextpanel_servers.items.create', (payload) => protect(payload as ServerPayload, true));
	filter('nextpanel_servers.items.update', (payload) => protect(payload as ServerPayload, false));
});
