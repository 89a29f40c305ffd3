// runs in the same Login flow, so Flex receives full_name from here
exports.onExecutePostLogin = async (event, api) => {
  api.samlResponse.setAttribute('full_name', event.user.name || event.user.email);
};
