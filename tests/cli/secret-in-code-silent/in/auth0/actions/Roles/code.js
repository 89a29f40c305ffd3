// const apiKey = 'SK0123456789abcdef0123456789abcdef';
/* authToken = "0123456789abcdef0123456789abcdef" */
exports.onExecutePostLogin = async (event, api) => {
  const accountSid = 'AC0123456789abcdef0123456789abcdef';
  const userId = '0123456789abcdef0123456789abcdef';
  const apiKey = event.secrets.TWILIO_API_KEY;
  const token = '0123456789abcdef0123456789abcde';
  const secret = 'not-hex-0123456789abcdef01234567';
  const twilioKey = '##TWILIO_API_KEY##';
  const flexKey = "@@FLEX_KEY@@";
  log('token', '0123456789abcdef0123456789abcdef');
  const hash = `${prefix}0123456789abcdef0123456789abcdef`;
  const keyword = 'fedcba9876543210fedcba9876543210';
  const skip = 'SK0123456789abcdef0123456789abcdef0';
  api.samlResponse.setAttribute('roles', event.user.app_metadata.flex.roles);
};
