// Gives every HTTP request its own provisioning scope, so a password chosen while creating a
// customer reaches that customer's new hosting account and no other.
import { defineHook } from '@directus/extensions-sdk';
import type { Application } from 'express';
import { runInRequestScope } from '../../core/scopes.ts';

export default defineHook(({ init }) => {
	init('middlewares.before', (meta) => {
		(meta['app'] as Application).use((_req, _res, next) => runInRequestScope(next));
	});
});
