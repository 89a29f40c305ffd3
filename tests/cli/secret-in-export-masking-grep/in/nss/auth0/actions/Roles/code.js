exports.onExecutePostLogin = async (event, api) => {
  const key = 'SK0123456789abcdef0123456789abcdef'; const s = 'unterminated;
};
