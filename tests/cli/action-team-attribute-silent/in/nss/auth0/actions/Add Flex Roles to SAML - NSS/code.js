exports.onExecutePostLogin = async (event, api) => {
  const flexRoles = event.user.app_metadata?.flex?.roles || ['agent'];
  const flexTeam = event.user.app_metadata?.flex?.team;

  api.samlResponse.setAttribute('email', event.user.email);
  api.samlResponse.setAttribute('full_name', event.user.name);
  api.samlResponse.setAttribute('roles', flexRoles.join(','));
  if (flexTeam) {
    api.samlResponse.setAttribute('team', flexTeam);
  }
};
