/**
 * Handler that will be called during the execution of a PostLogin flow.
 */
exports.onExecutePostLogin = async (event, api) => {
  const flexRoles = event.user.app_metadata?.flex?.roles || ['agent'];
  // api.samlResponse.setAttribute('email', event.user.email);
  console.log("api.samlResponse.setAttribute('full_name', event.user.name)");
  api.samlResponse.setAttribute('roles', flexRoles.join(','));
};
