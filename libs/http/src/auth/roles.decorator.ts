import { SetMetadata } from '@nestjs/common';
import { Role } from './role.enum';

export const ROLES_KEY = 'crm:http:roles';

/**
 * Any one of the listed roles lets the caller in; a handler's list replaces its controller's. Admin gets no
 * implicit pass: every route names who may call it, so reading the decorator is enough to know.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
