import { describe, expect, test } from 'vitest';
import { builtInHtml } from './term-notices.ts';

const data = {
	full_name: 'Ada <script>alert(1)</script>',
	username: 'ada',
	server_name: 'Panel & Co',
	paid_until: '2026-03-12',
	suspends_on: '2026-03-16',
	terminates_on: '',
};

describe('the built-in term mails, for projects without the templates', () => {
	test('say the dates, and escape what came from people or NextPanel', () => {
		const html = builtInHtml('reminder', data);
		expect(html).toContain('is paid until 2026-03-12');
		expect(html).toContain('suspended on 2026-03-16');
		expect(html).toContain('Ada &#60;script&#62;alert(1)&#60;/script&#62;');
		expect(html).toContain('Panel &#38; Co');
		expect(html).not.toContain('<script>');
	});

	test('the suspension notice names the termination day only when one is configured', () => {
		expect(builtInHtml('suspended', data)).not.toMatch(/deleted on/);
		expect(builtInHtml('suspended', { ...data, terminates_on: '2026-03-27' })).toMatch(/deleted on 2026-03-27/);
		expect(builtInHtml('terminated', data)).toMatch(/has now been closed/);
	});
});
