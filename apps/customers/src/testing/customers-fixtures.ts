import { randomUUID } from 'node:crypto';
import { Role } from '@crm/http';
import { startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { customersSettings } from '../customers.settings';

export const admin = { sub: randomUUID(), roles: [Role.Admin] };
export const repOf = (team: string) => ({ sub: randomUUID(), roles: [Role.SalesRep], team });
export const managerOf = (team: string) => ({ sub: randomUUID(), roles: [Role.SalesManager], team });

export const startCustomers = () => startTestService('customers', (config) => AppModule.forRoot(config), { settings: customersSettings });

export type Claims = { sub: string; roles: Role[]; team?: string };

/** Creates an account as the caller (a warned duplicate saved anyway) and returns its body. */
export async function createAccount(svc: TestService, claims: Claims, body: Record<string, unknown>): Promise<{ id: string; version: number; name: string }> {
  return (await svc.as(claims).post('/api/v1/accounts?allowDuplicate=true').send(body).expect(201)).body;
}

export async function createContact(svc: TestService, claims: Claims, body: Record<string, unknown>): Promise<{ id: string; version: number }> {
  return (await svc.as(claims).post('/api/v1/contacts?allowDuplicate=true').send(body).expect(201)).body;
}
