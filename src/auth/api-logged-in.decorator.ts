import { ApiSecurity } from '@nestjs/swagger';

/** OpenAPI: the route needs both of Rocket.Chat's headers together, X-Auth-Token and X-User-Id. */
export const ApiLoggedIn = () => ApiSecurity({ authToken: [], userId: [] });
