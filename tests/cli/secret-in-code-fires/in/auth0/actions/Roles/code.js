const TWILIO_API_KEY = 'SK0123456789abcdef0123456789abcdef';
exports.onExecutePostLogin = async (event, api) => {
  const authToken = "0123456789abcdef0123456789abcdef";
  const client = makeClient({ accountSid: event.secrets.ACCOUNT_SID, apiSecret: `fedcba9876543210fedcba9876543210` });
  client.setToken('abcdefabcdefabcdefabcdefabcdefab');
  const password = event.secrets.PASSWORD || 'ABCDEF0123456789ABCDEF0123456789';
  headers['x-api-key'] = '00112233445566778899aabbccddeeff';
  const note = "Zoë's key: SKffffffffffffffffffffffffffffffff";
  api.samlResponse.setAttribute('roles', event.user.app_metadata.flex.roles);
};
