exports.onExecutePostLogin = async (event, api) => {
  const flex = event.user.app_metadata.flex || {};
  api.samlResponse.setAttribute('email', event.user.email);
  api.samlResponse.setAttribute('roles', flex.roles);
  if (flex.team) {
    api.samlResponse.setAttribute('team', flex.team);
  }
};
