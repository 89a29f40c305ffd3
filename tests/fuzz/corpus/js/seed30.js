exports.onExecutePostLogin = async (event, api) => {
  if (event.user.app_metadata?.flex) {
    api.samlResponse.setAttribute('roles', event.user.app_metadata.flex.roles);
};
