// HTTP replies as NextPanel's stack writes them: JSON from FastAPI (uvicorn), plain text from
// Starlette's error middleware, HTML error pages from the nginx in front of it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';

export interface Reply {
	status: number;
	body: string;
	/** null: no content-type header (an empty body). */
	contentType: string | null;
	/** Which program the reply pretends to come from. */
	server: 'uvicorn' | 'nginx';
	headers?: Record<string, string>;
}

export const jsonReply = (status: number, value: unknown, headers?: Record<string, string>): Reply => ({
	status,
	body: JSON.stringify(value),
	contentType: 'application/json',
	server: 'uvicorn',
	...(headers ? { headers } : {}),
});

/** FastAPI's HTTPException body. */
export const detailReply = (status: number, detail: string, headers?: Record<string, string>): Reply =>
	jsonReply(status, { detail }, headers);

export const textReply = (status: number, text: string): Reply => ({
	status,
	body: text,
	contentType: 'text/plain; charset=utf-8',
	server: 'uvicorn',
});

export const emptyReply = (status: number, headers?: Record<string, string>): Reply => ({
	status,
	body: '',
	contentType: null,
	server: 'uvicorn',
	...(headers ? { headers } : {}),
});

/** Starlette's ServerErrorMiddleware answer to an unhandled exception. */
export const INTERNAL_SERVER_ERROR: Reply = textReply(500, 'Internal Server Error');

// nginx's own wording differs from the RFC phrases for some codes.
const NGINX_REASONS: Record<number, string> = {
	413: 'Request Entity Too Large',
	503: 'Service Temporarily Unavailable',
	504: 'Gateway Time-out',
};

/** nginx's built-in error page, byte for byte. */
export function nginxPage(status: number): Reply {
	const title = `${status} ${NGINX_REASONS[status] ?? STATUS_CODES[status] ?? 'Error'}`;
	const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
	return { status, body, contentType: 'text/html', server: 'nginx' };
}

/** What a captive portal or a misrouted proxy answers instead of the API. */
export const LOGIN_PAGE =
	'<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Sign in - Hosting Portal</title></head>\n<body>\n<h1>Sign in</h1>\n<form method="post" action="/login">\n<label>User <input name="user"></label>\n<label>Password <input type="password" name="pass"></label>\n<button type="submit">Sign in</button>\n</form>\n</body>\n</html>\n';

export function sendReply(res: ServerResponse, reply: Reply): void {
	const payload = Buffer.from(reply.body, 'utf8');
	res.writeHead(reply.status, {
		server: reply.server,
		...(reply.contentType ? { 'content-type': reply.contentType } : {}),
		'content-length': payload.length,
		...reply.headers,
	});
	res.end(payload);
}

/** Reads a request body up to `limit` bytes; the rest is read and dropped so the answer arrives. */
export function readBody(req: IncomingMessage, limit: number): Promise<{ bytes: Buffer; tooLarge: boolean }> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let ended = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= limit) chunks.push(chunk);
		});
		req.on('end', () => {
			ended = true;
			resolve({ bytes: Buffer.concat(chunks), tooLarge: size > limit });
		});
		req.on('error', reject);
		// The connection went away first (client gave up, or the server went down).
		req.on('close', () => {
			if (!ended) reject(new Error('the connection closed before the whole body was read'));
		});
	});
}
