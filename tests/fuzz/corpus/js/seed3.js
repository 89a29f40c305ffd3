// The handler is exported under a computed name, so there is no
// onExecutePostLogin identifier to point at: line 1, column 1.
const handler = async (event, api) => {
  api.samlResponse.setAttribute('roles', event.user.app_metadata.flex.roles.join(','));
};
exports['onExecute' + 'PostLogin'] = handler;
