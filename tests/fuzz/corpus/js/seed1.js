/**
 * Add Flex Roles to SAML - HHOVV (Pattern B: one isolated organization).
 * Copied from the NSS action in 2025; the team part should not be here.
 */
exports.onExecutePostLogin = async (event, api) => {
  const flexRoles = event.user.app_metadata?.flex?.roles || ['agent'];
  api.samlResponse.setAttribute('email', event.user.email);
  api.samlResponse.setAttribute('full_name', event.user.name);
  api.samlResponse.setAttribute('roles', flexRoles.join(','));
  api.samlResponse.setAttribute('team', event.user.app_metadata?.flex?.team);
};
