exports.onExecutePostLogin = async (event, api) => {
  if (!event.user.email_verified) api.redirect.sendUserTo('https://nss.org/verify');
};
