/** 公告类型 in the manual's order (the API names them the same). */
export const ANNOUNCEMENT_TYPES: Array<[string, string]> = [
  ['notice', '通知公告'],
  ['policy', '政策法规'],
  ['document', '公布文件'],
  ['standard', '标准条件'],
  ['upload', '上传文件'],
  ['faq', '常见问题'],
  ['publicity', '评后公示'],
  ['eligibility', '申报条件'],
];
