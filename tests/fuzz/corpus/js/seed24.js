exports.onExecutePostLogin = async (event, api) => {
  api.samlResponse.setAttribute('roles', event.user.app_metadata.flex.roles.join(','));
};
