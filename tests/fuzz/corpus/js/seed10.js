exports.onExecutePostLogin = async (event, api) => {
  const flexRoles = event.user.app_metadata?.flex?.roles || ['agent'];
  const flexTeam = event.user.app_metadata?.flex?.teams;
  const program = event.user.app_metadata.flex['program'];
  const hasTeam = event.user.app_metadata.flex.hasOwnProperty('team');

  api.samlResponse.setAttribute('email', event.user.email);
  api.samlResponse.setAttribute('full_name', event.user.name);
  api.samlResponse.setAttribute('roles', flexRoles.join(','));
  if (hasTeam && flexTeam) {
    api.samlResponse.setAttribute('team', flexTeam);
  }
  if (program) {
    api.samlResponse.setAttribute('program', program);
  }
};
