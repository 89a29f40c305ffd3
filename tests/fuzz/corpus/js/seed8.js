exports.onExecutePostLogin = async (event, api) => {
  const flexRoles = event.user.app_metadata?.flex?.roles || ['agent'];
  api.samlResponse.setAttribute("roles", flexRoles.join(','));
};
