// Pattern B: an isolated organization, no team attribute
exports.onExecutePostLogin = async (event, api) => {
  const flexRoles = event.user.app_metadata?.flex?.roles || ['agent'];
  api.samlResponse.setAttribute('email', event.user.email);
  api.samlResponse.setAttribute('full_name', event.user.name);
  api.samlResponse.setAttribute('roles', flexRoles.join(','));
};
