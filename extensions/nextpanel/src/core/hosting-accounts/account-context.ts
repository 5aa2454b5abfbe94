// What every hosting-account service is built from, like Directus's own services
// (`{ knex, schema, accountability }` plus the bundle's runtime), and the narrower contexts the
// rule modules in core/lib take. One place builds them, so the services differ only in their job.
import type { Accountability, SchemaOverview } from '@directus/types';
import type { Knex } from 'knex';
import type { AccessContext, ServiceOptions } from '../access.ts';
import type { ActionContext } from '../lib/account-actions.ts';
import type { CoreContext } from '../lib/account-state.ts';
import type { ClaimContext } from '../lib/claims.ts';
import type { CustomerMapping } from '../lib/customers.ts';
import { requireSetup } from '../lib/readiness.ts';
import { NextPanelServersService } from '../nextpanel-servers-service.ts';
import type { Runtime } from '../runtime.ts';

export class AccountContext {
	readonly runtime: Runtime;
	readonly schema: SchemaOverview;
	readonly accountability: Accountability | null;
	readonly knex: Knex;
	readonly servers: NextPanelServersService;

	constructor({ runtime, schema, accountability, knex = runtime.database }: ServiceOptions) {
		this.runtime = runtime;
		this.schema = schema;
		this.accountability = accountability;
		this.knex = knex;
		this.servers = new NextPanelServersService({ runtime, schema, accountability, knex });
	}

	get core(): CoreContext {
		return { runtime: this.runtime, schema: this.schema, knex: this.knex };
	}

	get access(): AccessContext {
		return { ...this.core, accountability: this.accountability };
	}

	get actions(): ActionContext {
		return { ...this.core, servers: this.servers, causedBy: this.accountability };
	}

	get leases(): ClaimContext {
		return { knex: this.knex, leaseMs: this.runtime.config.leaseMs };
	}

	/** The customer mapping, or a 503 that says what to set. */
	customers(): CustomerMapping {
		return requireSetup(this.runtime, this.schema);
	}

	/** Directus's ItemsService for a collection, as the caller (or in another transaction). */
	itemsAsCaller(collection: string, knex: Knex = this.knex) {
		return new this.runtime.services.ItemsService(collection, { schema: this.schema, accountability: this.accountability, knex });
	}

	/** The same context inside a transaction. */
	within(trx: Knex): AccountContext {
		return new AccountContext({ runtime: this.runtime, schema: this.schema, accountability: this.accountability, knex: trx });
	}
}
