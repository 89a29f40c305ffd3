exports.onExecutePostLogin = async (event, api) => {
  const flex = event.user.app_metadata?.flex;
  const flexRoles = event.user.app_metadata?.flex?.roles || ['agent'];
  // was: const flexTeam = event.user.app_metadata?.flex?.teams;
  const flexTeam = event.user.app_metadata?.flex?.["team"];
  console.log("no event.user.app_metadata.flex.teams here", `nor app_metadata.flex.teams`);
  if (event.user.app_metadata.flex.hasOwnProperty('team')) {
    api.samlResponse.setAttribute('team', flexTeam);
  }
  api.samlResponse.setAttribute('roles', flexRoles.join(','));
};
